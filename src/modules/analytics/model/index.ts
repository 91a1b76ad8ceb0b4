// The expected-hit model (risk scoring of declarations): library and CLI. ADR 0026.
export { readColumns, columnTable, type ColumnTable } from './csv.ts';
export { trainModel, scoreTable, parseModel, precisionAt, readLabels, type ModelFile } from './model.ts';
export { registerModelCommands, trainCommand, scoreCommand } from './cli.ts';
export { kcsBenchmark, KCS_DIR } from './kcs.ts';
