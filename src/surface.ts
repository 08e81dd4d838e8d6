/**
 * What a surface (the console, Slack, Discord, the web) needs to offer tierdesk's commands, derived
 * from the capabilities' declarations (src/core/catalogue.ts): plain data, so adapters build their
 * platform's registrations (a Slack manifest, Discord's command JSON) and mappings from it and never
 * list a command of their own.
 */
import type { Platform } from './ports.js';

/** An argument as a platform registers it. */
export interface SurfaceArg {
  name: string;
  summary: string;
  /** `integer`: a number (ticket, article); `string`: words; `boolean`: a switch. */
  type: 'integer' | 'string' | 'boolean';
  required: boolean;
  /** Free text: kept verbatim, never parsed as options. */
  free: boolean;
  choices?: ReadonlyArray<{ value: string; label: string }>;
  min?: number;
  max?: number;
  /** The most characters a string takes. */
  maxLength?: number;
}

export interface SurfaceSub {
  /** '' for a command that has no sub-commands (`/ask <question>`). */
  name: string;
  summary: string;
  usage: string;
  args: SurfaceArg[];
  /** Shows a form when its words are missing (Slack and Discord open it instead of refusing). */
  hasForm: boolean;
}

export interface SurfaceCommand {
  name: string;
  summary: string;
  /** A one-line hint of what to type (Slack's usage hint). */
  hint: string;
  subs: SurfaceSub[];
}

/** A button on a card: the twin of a command (pressing it runs the command with the button's value). */
export interface SurfaceButton {
  action: string;
  command: string;
  sub: string;
}

/** A message action (Slack message shortcut, Discord message context-menu command). */
export interface SurfaceMessageAction {
  /** The Inbound action it sends (`peer.solution`) or, for `form`, the command whose form it opens. */
  action: string;
  /** Slack's callback id. */
  callbackId: string;
  label: string;
  summary: string;
}

export interface Surface {
  platform: Platform;
  commands: SurfaceCommand[];
  buttons: SurfaceButton[];
  messageActions: SurfaceMessageAction[];
}
