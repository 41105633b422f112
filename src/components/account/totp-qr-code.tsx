'use client';

import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** The otpauth:// URI as a QR code for an authenticator app to scan; rendered in the browser only. */
export function TotpQrCode({ uri }: { uri: string }) {
  const [dataUrl, setDataUrl] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    QRCode.toDataURL(uri, { margin: 1, width: 192 })
      .then((url) => {
        if (current) setDataUrl(url);
      })
      .catch((error: unknown) => console.warn('QR code not drawn', error));
    return () => {
      current = false;
    };
  }, [uri]);
  if (!dataUrl) return <div className="qr-code" aria-busy="true" />;
  return (
    // biome-ignore lint/performance/noImgElement: a data: URL drawn in the browser
    <img
      className="qr-code"
      src={dataUrl}
      alt="QR code for your authenticator app"
      width={192}
      height={192}
    />
  );
}
