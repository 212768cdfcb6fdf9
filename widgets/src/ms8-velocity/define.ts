/** Registers <ms8-velocity> (unless another copy of MS8 already did). */
import { defineOnce } from "../shared/define.ts";
import { Ms8Velocity } from "./ms8-velocity.ts";

defineOnce("ms8-velocity", Ms8Velocity);

declare global {
  interface HTMLElementTagNameMap {
    "ms8-velocity": Ms8Velocity;
  }
}
