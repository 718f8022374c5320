import type { FastifyReply, FastifyRequest } from "fastify";
import type { ServerResponse } from "node:http";
import { GatewayError, bedrockErrorBody, bedrockTypeForStatus, openaiErrorBody, type BedrockErrorType } from "../errors";
import { HistoryInputError, SessionOwnershipError } from "../history/index";
import { PromptError } from "../prompts/index";

/** Which error shape a route family speaks. */
export type ErrorShape = "bedrock" | "openai";

const PROMPT_STATUS_TYPE: Record<number, BedrockErrorType> = { 400: "ValidationException", 403: "AccessDeniedException", 404: "ResourceNotFoundException", 502: "ServiceUnavailableException" };

/** Normalise anything thrown inside a route into a catalogue error. */
export function toGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  if (err instanceof PromptError) {
    return new GatewayError(err.statusCode === 502 ? "GW_UPSTREAM_UNAVAILABLE" : "GW_VALIDATION", err.message, { status: err.statusCode, bedrockType: PROMPT_STATUS_TYPE[err.statusCode] ?? "ValidationException", param: "model", cause: err });
  }
  if (err instanceof SessionOwnershipError) return new GatewayError("GW_SESSION_NOT_FOUND");
  if (err instanceof HistoryInputError) return new GatewayError("GW_VALIDATION", err.message);
  const e = err as { code?: string; statusCode?: number; message?: string };
  if (e?.code === "FST_ERR_CTP_BODY_TOO_LARGE") return new GatewayError("GW_BODY_TOO_LARGE");
  if (e?.code === "FST_ERR_CTP_INVALID_CONTENT_LENGTH" || e?.code === "FST_ERR_CTP_EMPTY_JSON_BODY") return new GatewayError("GW_VALIDATION", e.message);
  if (typeof e?.statusCode === "number" && e.statusCode >= 400 && e.statusCode < 500) {
    return new GatewayError("GW_VALIDATION", e.message ?? "Bad request", { status: e.statusCode, bedrockType: bedrockTypeForStatus(e.statusCode) });
  }
  return new GatewayError("GW_INTERNAL", undefined, { cause: err });
}

export function errorPayload(ge: GatewayError, shape: ErrorShape): { headers: Record<string, string>; body: string } {
  if (shape === "bedrock") {
    return { headers: { "content-type": "application/json", "x-amzn-errortype": ge.bedrockType }, body: bedrockErrorBody(ge.message) };
  }
  return { headers: { "content-type": "application/json" }, body: openaiErrorBody(ge.message, ge.openaiType, ge.code, ge.param ?? null) };
}

/** Send an error through fastify (reply not hijacked). */
export function sendError(request: FastifyRequest, reply: FastifyReply, err: unknown, shape: ErrorShape): FastifyReply {
  const ge = toGatewayError(err);
  logError(request, ge);
  const { headers, body } = errorPayload(ge, shape);
  return reply.code(ge.status).headers(headers).send(body);
}

/** Send an error on a raw (hijacked) response, if nothing was sent yet. */
export function sendRawError(request: FastifyRequest, res: ServerResponse, err: unknown, shape: ErrorShape): void {
  const ge = toGatewayError(err);
  logError(request, ge);
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const { headers, body } = errorPayload(ge, shape);
  res.writeHead(ge.status, headers);
  res.end(body);
}

function logError(request: FastifyRequest, ge: GatewayError): void {
  if (ge.status >= 500) request.log.error({ code: ge.code, cause: describe(ge.cause) }, ge.message);
  else request.log.info({ code: ge.code, status: ge.status }, "request rejected");
}

function describe(cause: unknown): string | undefined {
  if (cause === undefined) return undefined;
  const e = cause as { code?: string; message?: string; stack?: string };
  return [e.code, e.message].filter(Boolean).join(": ") || String(cause);
}
