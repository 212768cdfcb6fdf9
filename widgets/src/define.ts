/** Registers all three MS8 tags (each only if no other copy of MS8 has). */
import "./ms8-badges/define.ts";
import "./ms8-dropoff-risk/define.ts";
import "./ms8-velocity/define.ts";

export * from "./index.ts";
