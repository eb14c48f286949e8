/**
 * The HTTP/1.1 parsing core the data plane uses: pure modules over Buffers, no sockets.
 * docs/http.md describes the contract, the limits and every rejection.
 */
export { CONTINUE_100, cannedResponse, rejectionResponse } from './canned-responses.ts';
export { ChunkedDecoder } from './chunked-decoder.ts';
export { CRLF, LAST_CHUNK, encodeChunk, writeChunkHeader } from './chunked-encoder.ts';
export { ChunkedForwarder, REFRAME, UNCHUNK, type ForwardMode } from './chunked-forwarder.ts';
export { HeadAccumulator } from './head-accumulator.ts';
export {
  BODY_CHUNKED, BODY_LENGTH, BODY_NONE, BODY_TUNNEL, BODY_UNTIL_CLOSE, NEED_MORE, REJECTED, type BodyKind,
} from './head-parser.ts';
export { HTTP_ERRORS, httpErrorStatus, type HttpErrorCode } from './http-errors.ts';
export { DEFAULT_HTTP_LIMITS, httpLimits, type HttpLimits } from './http-limits.ts';
export { RequestHeadParser, TARGET_ABSOLUTE, TARGET_ASTERISK, TARGET_ORIGIN, type TargetForm } from './request-head-parser.ts';
export { ForwardingContext, buildRequestHead } from './request-head-writer.ts';
export { ResponseHeadParser } from './response-head-parser.ts';
export {
  PLAN_CHUNK_ENCODE, PLAN_LENGTH, PLAN_NONE, PLAN_RAW_THEN_CLOSE, PLAN_RECHUNK, PLAN_TUNNEL, buildResponseHead, planResponseBody,
  type BodyPlan,
} from './response-head-writer.ts';
