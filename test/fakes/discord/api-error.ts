/**
 * An error answered the way Discord answers it: an HTTP status and a JSON body
 * `{ message, code, errors? }`. discord.js turns it into a `DiscordAPIError` with `status`, `code`
 * and `rawError` (the body); `errors` is Discord's nested "Invalid Form Body" map.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: Record<string, unknown>,
  ) {
    super(message);
  }

  get body(): Record<string, unknown> {
    return { message: this.message, code: this.code, ...(this.errors ? { errors: this.errors } : {}) };
  }
}

export const unknownChannel = () => new ApiError(404, 10003, 'Unknown Channel');
export const unknownMessage = () => new ApiError(404, 10008, 'Unknown Message');
export const unknownMember = () => new ApiError(404, 10007, 'Unknown Member');
export const unknownUser = () => new ApiError(404, 10013, 'Unknown User');
export const unknownGuild = () => new ApiError(404, 10004, 'Unknown Guild');
export const unknownRole = () => new ApiError(404, 10011, 'Unknown Role');
export const unknownInteraction = () => new ApiError(404, 10062, 'Unknown interaction');
export const unknownWebhook = () => new ApiError(404, 10015, 'Unknown Webhook');
export const alreadyAcknowledged = () => new ApiError(400, 40060, 'Interaction has already been acknowledged.');
export const unauthorized = () => new ApiError(401, 0, '401: Unauthorized');
export const notFound = () => new ApiError(404, 0, '404: Not Found');
