/**
 * The states every widget has, as stories: the learner id picks the fake API's scenario, and the
 * toolbar's theme and locale reach the element as attributes.
 */
import type { StoryContext, StoryObj } from "@storybook/web-components-vite";
import { html, type TemplateResult } from "lit";
import { html as staticHtml, unsafeStatic } from "lit/static-html.js";

export interface WidgetArgs {
  "learner-id": string;
  token?: string;
  width?: number;
}

export function renderWidget(tag: string) {
  const name = unsafeStatic(tag);
  return (args: WidgetArgs, context: Pick<StoryContext, "globals">): TemplateResult => {
    const frame = html`<div style=${`max-width: ${args.width ?? 420}px`}>
      ${staticHtml`<${name}
        learner-id=${args["learner-id"]}
        token=${args.token ?? ""}
        theme=${context.globals.theme ?? "light"}
        lang=${context.globals.locale ?? "en"}
      ></${name}>`}
    </div>`;
    return frame;
  };
}

type Story = StoryObj<WidgetArgs>;

/** One story per state, shared by the three widgets' story files. */
export const stateStories = {
  Data: { args: { "learner-id": "ok-ada" } },
  Loading: { args: { "learner-id": "hang-story" } },
  SlowThenData: { args: { "learner-id": "slow-story" } },
  Empty: { args: { "learner-id": "empty-story" } },
  Error: { args: { "learner-id": "broken-story" } },
  NotSignedIn: { args: { "learner-id": "ok-ada", token: "expired-story-token" } },
  Forbidden: { args: { "learner-id": "forbidden-story" } },
  NotFound: { args: { "learner-id": "unknown-story" } },
  Stale: { args: { "learner-id": "stale-ada" } },
  SampleData: { args: { "learner-id": "mock-ada" } },
  Narrow280: { args: { "learner-id": "ok-ada", width: 280 } },
} satisfies Record<string, Story>;
