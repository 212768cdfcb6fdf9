import { fileURLToPath } from "node:url";

/** The OULAD 2013 tables: `../shared/data/oulad-2013` beside the repository (CI lays a copy there too). */
export const defaultOuladDir = fileURLToPath(new URL("../../../../shared/data/oulad-2013/", import.meta.url));
