import type { Meta, StoryObj } from "@storybook/web-components-vite";
import { renderWidget, stateStories, type WidgetArgs } from "../../.storybook/stories.ts";

/** Every state of `<ms8-dropoff-risk>`, fed by the in-page fake API; theme and locale come from the toolbar. */
const meta = {
  title: "Widgets/ms8-dropoff-risk",
  component: "ms8-dropoff-risk",
  tags: ["autodocs"],
  render: renderWidget("ms8-dropoff-risk"),
  argTypes: {
    "learner-id": { control: "text", description: "Learner id; its first word picks the fake API's scenario" },
  },
} satisfies Meta<WidgetArgs>;

export default meta;
type Story = StoryObj<WidgetArgs>;

/** As a trainer (or admin) sees it: the trainer's next steps first, then the learner's. */
export const Data: Story = stateStories.Data;
/** As the learner sees their own risk (`meta.audience: "learner"`): only their own next steps. */
export const SeenByTheLearner: Story = { args: { "learner-id": "ok-ada", token: "self-story-token" } };
export const Loading: Story = stateStories.Loading;
export const SlowThenData: Story = stateStories.SlowThenData;
export const Empty: Story = stateStories.Empty;
export const ErrorWithRetry: Story = stateStories.Error;
export const NotSignedIn: Story = stateStories.NotSignedIn;
export const Forbidden: Story = stateStories.Forbidden;
export const NotFound: Story = stateStories.NotFound;
export const StaleData: Story = stateStories.Stale;
export const SampleData: Story = stateStories.SampleData;
export const Narrow280: Story = stateStories.Narrow280;
export const ArabicRightToLeft: Story = { ...stateStories.Data, globals: { locale: "ar" } };
/** The BFF's own sentences worded in German from their messages; what no catalogue knows stays English. */
export const German: Story = { ...stateStories.Data, globals: { locale: "de" } };
export const Dark: Story = { ...stateStories.Data, globals: { theme: "dark" } };
