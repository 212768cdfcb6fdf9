/** Registers <ms8-badges> (unless another copy of MS8 already did). */
import { defineOnce } from "../shared/define.ts";
import { Ms8Badges } from "./ms8-badges.ts";

defineOnce("ms8-badges", Ms8Badges);

declare global {
  interface HTMLElementTagNameMap {
    "ms8-badges": Ms8Badges;
  }
}
