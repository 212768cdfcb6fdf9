/** What global-setup.ts provides to the workerd tests (vitest's provide / inject). */
export interface SupabaseStandinAddress {
  url: string;
  jwtSecret: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    supabaseStandin?: SupabaseStandinAddress;
  }
}
