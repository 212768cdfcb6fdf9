/** Runtime configuration served beside the page (see vite.config.ts), so one build fits any BFF. */
export interface Persona {
  id?: string;
  userId?: string;
  learnerId?: string;
  email: string;
  password: string;
  displayName?: string;
  name?: string;
  orgId?: string;
  organization?: string;
  roles?: string[];
  role?: string;
}
export interface DemoConfig {
  apiBase: string;
  widgetsSrc: string;
  operator: boolean;
  personas: Persona[];
  organizations: { orgId: string; name: string }[];
}

export async function loadConfig(): Promise<DemoConfig> {
  const response = await fetch("/demo/config.json", { cache: "no-store" });
  if (!response.ok) throw new Error("The dashboard's configuration (/demo/config.json) is missing.");
  return (await response.json()) as DemoConfig;
}
