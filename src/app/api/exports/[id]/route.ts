import { auth } from '@/server/auth';
import { exportFormat, exportId } from '@/server/chat-export/chat-export.schema';
import { chatExportFileService } from '@/server/chat-export/chat-export-file.service';
import { db } from '@/server/db';
import { loggedRoute } from '@/server/observability/route-log';

export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'private, no-store' };

/** Downloads a finished export of the signed-in user's own: ?format=json | markdown. */
export const GET = loggedRoute<{ params: Promise<{ id: string }> }>(
  '/api/exports/[id]',
  async (request, { params }) => {
    const session = await auth().api.getSession({ headers: request.headers });
    if (!session) return Response.json({ message: 'Sign in to continue' }, { status: 401, headers: noStore });
    const id = exportId.safeParse((await params).id);
    const format = exportFormat.safeParse(new URL(request.url).searchParams.get('format') ?? 'json');
    if (!id.success || !format.success)
      return Response.json({ message: 'Not found' }, { status: 404, headers: noStore });
    const file = await chatExportFileService.find(db(), session.user.id, id.data, format.data);
    if (!file) return Response.json({ message: 'Not found' }, { status: 404, headers: noStore });
    return new Response(file.body, {
      headers: {
        ...noStore,
        'content-type': file.contentType,
        'content-disposition': `attachment; filename="${file.fileName}"`,
        'x-content-type-options': 'nosniff',
      },
    });
  },
);
