import { auth } from '@/server/auth';
import { exportFormat, exportId } from '@/server/chat-export/chat-export.schema';
import { chatExportFileService } from '@/server/chat-export/chat-export-file.service';
import { db } from '@/server/db';
import { requestIdFrom } from '@/server/observability/request-id';

export const dynamic = 'force-dynamic';

/** Downloads a finished export of the signed-in user's own: ?format=json | markdown. */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  const requestId = requestIdFrom(request.headers);
  const headers = { 'cache-control': 'private, no-store', 'x-request-id': requestId };
  const session = await auth().api.getSession({ headers: request.headers });
  if (!session) return Response.json({ message: 'Sign in to continue' }, { status: 401, headers });
  const id = exportId.safeParse((await params).id);
  const format = exportFormat.safeParse(new URL(request.url).searchParams.get('format') ?? 'json');
  if (!id.success || !format.success)
    return Response.json({ message: 'Not found' }, { status: 404, headers });
  const file = await chatExportFileService.find(db(), session.user.id, id.data, format.data);
  if (!file) return Response.json({ message: 'Not found' }, { status: 404, headers });
  return new Response(file.body, {
    headers: {
      ...headers,
      'content-type': file.contentType,
      'content-disposition': `attachment; filename="${file.fileName}"`,
      'x-content-type-options': 'nosniff',
    },
  });
}
