import 'server-only';
import { loggableError, logger } from './logger';
import { requestIdFrom } from './request-id';

type RouteHandler<Context> = (request: Request, context: Context, requestId: string) => Promise<Response>;

/**
 * Wraps a route handler: one JSON log line per request (request id, route, method, status, duration — never
 * the query string, which may carry tokens), the id echoed as `x-request-id`, and a 500 without details on an
 * unexpected error.
 */
export function loggedRoute<Context>(route: string, handler: RouteHandler<Context>) {
  return async (request: Request, context: Context): Promise<Response> => {
    const requestId = requestIdFrom(request.headers);
    const started = performance.now();
    const fields = { requestId, route, method: request.method };
    let response: Response;
    try {
      response = await handler(request, context, requestId);
    } catch (error) {
      logger().error({ ...fields, err: loggableError(error) }, 'route failed');
      response = Response.json({ message: 'Internal server error' }, { status: 500 });
    }
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    logger().info({ ...fields, status: response.status, durationMs }, 'route');
    response.headers.set('x-request-id', requestId);
    return response;
  };
}
