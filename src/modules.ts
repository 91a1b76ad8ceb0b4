import type { Module } from './platform/kernel.ts';
import { platformModule } from './platform/platform.module.ts';
import { identityModule } from './modules/identity/index.ts';
import { standardsModule } from './modules/standards/index.ts';

/** Every module of this build, in order. Explicit on purpose: no discovery magic. */
export const MODULES: Module[] = [platformModule, identityModule, standardsModule];
