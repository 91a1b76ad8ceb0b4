import type { Kernel } from '../../platform/kernel.ts';

export async function seedDemo(_k: Kernel): Promise<void> {}
