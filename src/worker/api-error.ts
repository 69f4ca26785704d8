/** A REST API request the worker refuses, with the HTTP status Kafka Connect answers for it. */
import { SinkError } from '../common/errors.js';

export class ApiError extends SinkError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super('WORKER_API', message, { retriable: status >= 500 });
  }

  static notFound(name: string): ApiError {
    return new ApiError(404, `Connector ${name} not found`);
  }
}

/** Kafka Connect's error body: `{"error_code": 404, "message": "..."}`. */
export function errorBody(error: ApiError): { error_code: number; message: string } {
  return { error_code: error.status, message: error.message };
}
