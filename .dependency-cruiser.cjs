// The folder arrows of docs/architecture.md ("Layers"), checked on every `npm run lint`.
// `import type` of plain data types across folders is allowed (dependencyTypesNot: type-only).
const onlyMayImport = (folder, allowed) => ({
  name: `${folder}-imports-only-${allowed.join("-") || "itself"}`,
  comment: `src/${folder}/ may import only ${["itself", ...allowed].join(", ")} (docs/architecture.md)`,
  severity: "error",
  from: { path: `^src/${folder}/` },
  to: {
    path: "^src/",
    pathNot: [`^src/${folder}/`, ...allowed.map((a) => `^src/${a}/`)],
    dependencyTypesNot: ["type-only"],
  },
});

module.exports = {
  forbidden: [
    onlyMayImport("core", []),
    onlyMayImport("at", ["core"]),
    onlyMayImport("modem", ["at", "core"]),
    onlyMayImport("api", ["core"]),
    onlyMayImport("health", ["core"]),
    onlyMayImport("mqtt", ["core"]),
    onlyMayImport("runtime", ["core"]),
    onlyMayImport("commands", ["core"]),
    // The data-path policy is pure: it reaches the modem only through the steps the daemon hands it.
    onlyMayImport("link", ["core"]),
    onlyMayImport("sms", ["modem", "core"]),
    {
      name: "remote-imports-only-core-api-commands-pdu",
      comment:
        "src/remote/ (the operator's side) may import only itself, core, api, commands and the pure sms/pdu codec: never the gateway's engine or the simulator",
      severity: "error",
      from: { path: "^src/remote/" },
      to: {
        path: "^src/",
        pathNot: ["^src/remote/", "^src/core/", "^src/api/", "^src/commands/", "^src/sms/pdu/"],
        dependencyTypesNot: ["type-only"],
      },
    },
    {
      name: "sms-pdu-is-pure",
      comment: "the PDU codec is pure: it imports only core",
      severity: "error",
      from: { path: "^src/sms/pdu/" },
      to: { path: "^src/", pathNot: ["^src/sms/pdu/", "^src/core/"], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "sim-independent-of-engine",
      comment: "the simulator never shares the engine's parsers, so a mirrored bug cannot pass: core and sms/pdu only",
      severity: "error",
      from: { path: "^src/sim/" },
      to: { path: "^src/", pathNot: ["^src/sim/", "^src/core/", "^src/sms/pdu/"], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "cross-folder-through-index",
      comment: "a folder's index.ts is its public surface: other folders import only that",
      severity: "error",
      from: { path: "^src/([^/]+)/" },
      to: {
        path: "^src/[^/]+/",
        pathNot: [
          "^src/$1/",
          "^src/[^/]+/index\\.ts$",
          "^src/sms/pdu/index\\.ts$",
          "^src/sim/[^/]+/index\\.ts$",
          // the control socket's client, for the CLI without the daemon's request schemas
          "^src/runtime/client/index\\.ts$",
          // the configuration file read as YAML, for the CLI without the schema
          "^src/config/file/index\\.ts$",
        ],
      },
    },
    {
      name: "scripts-through-index",
      comment: "scripts/ (the docs generators) reach src/ as a folder does: through an index.ts, or the CLI's exit table",
      severity: "error",
      from: { path: "^scripts/" },
      to: { path: "^src/", pathNot: ["^src/[^/]+/index\\.ts$", "^src/cli/output\\.ts$"] },
    },
    {
      name: "no-circular",
      severity: "error",
      from: {},
      to: { circular: true, dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
      extensions: [".ts", ".js"],
    },
  },
};
