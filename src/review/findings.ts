// What a review finds: the model's answer format (the JSON schema it is
// asked to match) and a finding as reported once it has been checked
// against the diff.

export const SEVERITIES = ['high', 'medium', 'low', 'nit'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CATEGORIES = ['bug', 'security', 'performance', 'tests', 'maintainability', 'style'] as const;
export type Category = (typeof CATEGORIES)[number];

/** One finding as the model writes it (after its answer was parsed and normalised). */
export interface ModelFinding {
  file: string;
  line: number;
  end_line?: number;
  severity: Severity;
  category: Category;
  title: string;
  explanation: string;
  /** Replacement text for lines line..end_line. */
  suggestion?: string;
  /** The model says the lines are outside the change but the change makes them wrong. */
  context?: boolean;
}

/** A finding that points into the reviewed version of a file. */
export interface Finding {
  file: string;
  line: number;
  endLine: number;
  severity: Severity;
  category: Category;
  title: string;
  explanation: string;
  suggestion?: string;
  /** changed: in or next to the changed lines; context: elsewhere, affected by the change. */
  location: 'changed' | 'context';
}

export interface RejectedFinding {
  file: string;
  line: number;
  title: string;
  /** Why it was not reported, e.g. "outside the changed lines (12-20) and not marked as context". */
  reason: string;
}

/** The schema the model's final answer must match (sent as GenerateRequest.responseSchema). */
export const ANSWER_SCHEMA: Record<string, unknown> = {
  title: 'review_findings',
  type: 'object',
  properties: {
    findings: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          file: { type: 'string' },
          line: { type: 'integer', minimum: 1 },
          end_line: { type: 'integer', minimum: 1 },
          severity: { enum: SEVERITIES },
          category: { enum: CATEGORIES },
          title: { type: 'string' },
          explanation: { type: 'string' },
          suggestion: { type: 'string' },
          context: { type: 'boolean' },
        },
        required: ['file', 'line', 'severity', 'category', 'title', 'explanation'],
        additionalProperties: false,
      },
    },
  },
  required: ['findings'],
  additionalProperties: false,
};

export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}
