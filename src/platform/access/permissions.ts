// Permissions as data (after Cal.com's registry): each module declares its `module.action`
// ids with a label key; roles are sets of ids. The same registry drives enforcement,
// the role editor and the UI's navigation.

export interface PermissionDef {
  id: string;
  /** Translation key under `permissions.` in locales/<lang>/server.json. */
  module: string;
}

export const BUILT_IN_ROLES = [
  'platform_admin',
  'org_admin',
  'integrity_officer',
  'case_handler',
  'investigator',
  'analyst',
  'executive',
  'staff',
  'line_manager',
  'programme_manager',
  'donor_viewer',
  'isc_delegate',
] as const;
export type RoleId = (typeof BUILT_IN_ROLES)[number];

export interface ModulePermissions {
  module: string;
  permissions: readonly string[];
  /** Which built-in roles get which of this module's permissions. */
  grants: Partial<Record<RoleId, readonly string[]>>;
}

export class PermissionRegistry {
  private readonly perms = new Map<string, PermissionDef>();
  private readonly roles = new Map<RoleId, Set<string>>(BUILT_IN_ROLES.map((r) => [r, new Set<string>()]));

  register(m: ModulePermissions): void {
    for (const id of m.permissions) {
      if (!id.startsWith(`${m.module}.`)) throw new Error(`permission ${id} must start with ${m.module}.`);
      if (this.perms.has(id)) throw new Error(`permission ${id} registered twice`);
      this.perms.set(id, { id, module: m.module });
    }
    for (const [role, ids] of Object.entries(m.grants) as [RoleId, readonly string[]][]) {
      for (const id of ids) {
        if (!this.perms.has(id)) throw new Error(`role ${role} granted unknown permission ${id}`);
        this.roles.get(role)!.add(id);
      }
    }
  }

  has(id: string): boolean {
    return this.perms.has(id);
  }

  all(): PermissionDef[] {
    return [...this.perms.values()];
  }

  isRole(id: string): id is RoleId {
    return this.roles.has(id as RoleId);
  }

  permissionsOf(roles: readonly string[]): Set<string> {
    const out = new Set<string>();
    for (const r of roles) for (const p of this.roles.get(r as RoleId) ?? []) out.add(p);
    return out;
  }

  roleTable(): { id: RoleId; permissions: string[] }[] {
    return BUILT_IN_ROLES.map((id) => ({ id, permissions: [...this.roles.get(id)!].sort() }));
  }
}
