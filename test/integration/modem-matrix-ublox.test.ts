import { moduleMatrix } from "../helpers/module-matrix.js";

// The module matrix (test/helpers/module-matrix.ts), split by vendor so the files run side by side.
moduleMatrix("ublox");
