/** The gunicorn helper itself: a machine without gunicorn gets a named failure, not an unhandled ENOENT. */
import { describe, expect, it } from 'vitest';
import { startGunicorn } from '../helpers/gunicorn.js';

describe('startGunicorn', () => {
  it('names gunicorn and how to install it when the executable is missing, at once', async () => {
    const started = Date.now();
    await expect(
      startGunicorn({ workers: 1, executable: '/nonexistent/gunicorn', bootTimeoutMs: 10_000 }),
    ).rejects.toThrow(
      'could not start gunicorn (/nonexistent/gunicorn): ENOENT; install it with `sudo apt-get install -y gunicorn python3-flask`',
    );
    // Not after the boot timeout: a spawn failure is final.
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
