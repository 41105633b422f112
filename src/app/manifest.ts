import type { MetadataRoute } from 'next';

/** The web app manifest: ChatTwelve installs as a standalone app from the browser. */
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: 'ChatTwelve',
    short_name: 'ChatTwelve',
    description: 'A self-hostable AI chat',
    start_url: '/',
    display: 'standalone',
    background_color: '#ffffff',
    theme_color: '#0969da',
    icons: [{ src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
  };
}
