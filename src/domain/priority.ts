/** How widely a problem is felt (impact) or how soon it hurts (urgency). */
export type Level = 'high' | 'medium' | 'low';
export const LEVELS: readonly Level[] = ['high', 'medium', 'low'];

/** P1 is the most pressing. */
export type Priority = 'P1' | 'P2' | 'P3' | 'P4' | 'P5';
export const PRIORITIES: readonly Priority[] = ['P1', 'P2', 'P3', 'P4', 'P5'];

/** impact → urgency → priority. */
export type PriorityMatrix = Record<Level, Record<Level, Priority>>;

/**
 * The ITIL 3×3 matrix: high/high = P1, high/medium = P2, high/low = P3, medium/medium = P3,
 * medium/low = P4, low/low = P5, and symmetric in impact and urgency.
 */
export const ITIL_MATRIX: PriorityMatrix = {
  high: { high: 'P1', medium: 'P2', low: 'P3' },
  medium: { high: 'P2', medium: 'P3', low: 'P4' },
  low: { high: 'P3', medium: 'P4', low: 'P5' },
};

/** The priority the matrix gives a ticket of this impact and (requester-perceived) urgency. */
export function priorityOf(matrix: PriorityMatrix, impact: Level, urgency: Level): Priority {
  return matrix[impact][urgency];
}

export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

export function isPriority(value: unknown): value is Priority {
  return typeof value === 'string' && (PRIORITIES as readonly string[]).includes(value);
}
