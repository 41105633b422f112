import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { OfflineSupport } from '@/components/ui/offline-support';
import { ThemeScript } from '@/components/ui/theme-script';
import './globals.css';

export const metadata: Metadata = {
  title: 'ChatTwelve',
  description: 'A self-hostable AI chat',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <ThemeScript />
      </head>
      <body>
        {children}
        <OfflineSupport />
      </body>
    </html>
  );
}
