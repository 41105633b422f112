import 'server-only';

/** The words of the password reset mail; the link is BetterAuth's one-time reset URL. */
export function passwordResetMail(url: string): { subject: string; text: string } {
  return {
    subject: 'Reset your ChatTwelve password',
    text: [
      'Someone (hopefully you) asked to reset the password of your ChatTwelve account.',
      '',
      `Choose a new password here: ${url}`,
      '',
      'The link works once, for one hour. Resetting signs you out everywhere.',
      'If you did not ask for this, ignore this mail: your password stays as it is.',
    ].join('\n'),
  };
}

/** The words of the address verification mail; the link is BetterAuth's signed verification URL. */
export function verificationMail(url: string): { subject: string; text: string } {
  return {
    subject: 'Confirm your email address for ChatTwelve',
    text: [
      'Welcome to ChatTwelve. Confirm that this address is yours:',
      '',
      url,
      '',
      'If you did not create an account, ignore this mail.',
    ].join('\n'),
  };
}
