// The set of tools a mode gives the model, looked up by name.
import type { Tool } from './tool.js';

export interface ToolDescriptionForModel {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export class ToolRegistry {
  private readonly byName: Map<string, Tool>;

  constructor(tools: readonly Tool[]) {
    this.byName = new Map(tools.map((tool) => [tool.name, tool]));
  }

  get(name: string): Tool | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  all(): Tool[] {
    return [...this.byName.values()];
  }

  /** What the model is told about every tool, in registration order. */
  specs(): ToolDescriptionForModel[] {
    return this.all().map(({ name, description, parameters }) => ({ name, description, parameters }));
  }
}
