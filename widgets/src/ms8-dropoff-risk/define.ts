/** Registers <ms8-dropoff-risk> (unless another copy of MS8 already did). */
import { defineOnce } from "../shared/define.ts";
import { Ms8DropoffRisk } from "./ms8-dropoff-risk.ts";

defineOnce("ms8-dropoff-risk", Ms8DropoffRisk);

declare global {
  interface HTMLElementTagNameMap {
    "ms8-dropoff-risk": Ms8DropoffRisk;
  }
}
