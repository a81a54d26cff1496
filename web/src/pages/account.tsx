/**
 * /account: who you are here. Guests get a name of their own by registering (a new player with its own rating),
 * continue on another device by pasting their key, or forget the identity in this browser.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { showError, showInfo } from '../components/toasts';
import { initial } from '../format';
import { createGuest, registerPlayer, signInWithKey, signOut, useIdentity } from '../identity';
import { Link } from '../router';

export function AccountPage(): JSX.Element {
  const me = useIdentity();
  const [name, setName] = useState('');
  const [key, setKey] = useState('');
  const [showKey, setShowKey] = useState(false);
  const [busy, setBusy] = useState(false);
  const run = async (what: () => Promise<unknown>, done: string): Promise<void> => {
    setBusy(true);
    try {
      await what();
      showInfo(done);
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="account">
      <section class="panel narrow">
        <h1>Your player</h1>
        {me ? (
          <div class="identity-card">
            <span class="avatar avatar-lg" aria-hidden="true">
              {initial(me.name)}
            </span>
            <div>
              <div class="identity-name" data-testid="account-name">
                {me.name}
              </div>
              <div class="muted small">{me.guest ? 'Guest: kept in this browser' : 'Registered player'}</div>
            </div>
            <Link href={`/agents/${encodeURIComponent(me.name)}`} class="btn btn-secondary btn-small">
              Ratings
            </Link>
          </div>
        ) : (
          <div class="identity-card">
            <p class="muted">You have not played yet. A guest player is created when you start your first match.</p>
            <button type="button" class="btn btn-secondary btn-small" disabled={busy} onClick={() => void run(createGuest, 'Guest player created.')}>
              Create a guest now
            </button>
          </div>
        )}
        {me && (
          <div class="key-box">
            <div class="key-row">
              <span class="muted small">Your key lets you play as {me.name} on another device. Keep it secret.</span>
              <button type="button" class="btn btn-ghost btn-small" onClick={() => setShowKey(!showKey)}>
                {showKey ? 'Hide key' : 'Show key'}
              </button>
            </div>
            {showKey && <code class="key">{me.apiKey}</code>}
          </div>
        )}
      </section>

      <section class="panel narrow">
        <h2>{me?.guest === false ? 'Register another player' : 'Choose a name'}</h2>
        <p class="muted small">A registered player appears under its own name on the leaderboards. Ratings are per player: a guest's games stay with the guest.</p>
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => registerPlayer(name.trim()), `Welcome, ${name.trim()}!`);
          }}
        >
          <input class="input" value={name} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} placeholder="your-name" pattern="[A-Za-z0-9_.\-]{1,64}" title="1-64 letters, digits, _ . -" required aria-label="Player name" />
          <button type="submit" class="btn btn-primary" disabled={busy}>
            Register
          </button>
        </form>
      </section>

      <section class="panel narrow">
        <h2>Continue with a key</h2>
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => signInWithKey(key), 'Signed in.');
          }}
        >
          <input class="input mono" value={key} onInput={(e) => setKey((e.currentTarget as HTMLInputElement).value)} placeholder="sa_…" required aria-label="API key" />
          <button type="submit" class="btn btn-secondary" disabled={busy}>
            Continue
          </button>
        </form>
        {me && (
          <p class="muted small">
            <button type="button" class="link-button" onClick={() => signOut()}>
              Forget {me.name} in this browser
            </button>
          </p>
        )}
      </section>
    </div>
  );
}
