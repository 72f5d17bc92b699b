// GraphiQL's token keeper, loaded by the page before GraphiQL itself. After a
// result that carries an access token (signUp, login, refresh,
// verifySecondFactor), it writes `Authorization: Bearer <token>` into the
// Headers pane, where the next requests take it from; a bar at the bottom says
// so, with one click to forget the token or to sign out. When the service
// answers TOKEN_EXPIRED to the kept token, it refreshes once and sends the
// request again, as the client examples do. GraphiQL keeps its Headers pane
// across reloads, so the keeper keeps the pair beside it (in the same local
// storage): after a reload the bar is back and the token still refreshes; a
// header the keeper did not write is left alone.
(() => {
  const script = document.currentScript;
  const endpoint = new URL(script?.dataset.endpoint ?? '/graphql', location.href).href;
  const originalFetch = window.fetch.bind(window);

  /** @type {{ accessToken: string, refreshToken: string | undefined, email: string | undefined } | null} */
  let kept = null;
  /** The Headers pane's text before the token went in, to put back. */
  let headersBefore = null;
  /** The Authorization values the keeper wrote lately: a pane that holds one of them holds the keeper's. */
  let written = [];
  /** @type {Promise<boolean> | null} */
  let refreshing = null;

  const STORED = 'tollgate:graphiql:kept';
  function store() {
    try {
      if (kept) localStorage.setItem(STORED, JSON.stringify({ kept, headersBefore, written }));
      else localStorage.removeItem(STORED);
    } catch {
      // Storage refused (a private window's quota): the pair lives until the reload.
    }
  }
  function stored() {
    try {
      const value = JSON.parse(localStorage.getItem(STORED) ?? 'null');
      return typeof value?.kept?.accessToken === 'string' ? value : null;
    } catch {
      return null;
    }
  }

  const modelEndingIn = (name) => globalThis.monaco?.editor.getModels().find((model) => model.uri.path.endsWith(name));
  const headersModel = () => modelEndingIn('request-headers.json');
  const responseModel = () => modelEndingIn('response.json');

  function parseHeaders(text) {
    try {
      const value = JSON.parse(text || '{}');
      return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
    } catch {
      return {};
    }
  }

  function putTokenInHeaders(accessToken) {
    const model = headersModel();
    if (!model) return;
    const text = model.getValue();
    headersBefore ??= text;
    const headers = parseHeaders(text);
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'authorization') delete headers[name];
    const authorization = `Bearer ${accessToken}`;
    written = [authorization, ...written.filter((value) => value !== authorization)].slice(0, 5);
    model.setValue(JSON.stringify({ ...headers, Authorization: authorization }, null, 2));
  }

  function forget() {
    const model = headersModel();
    if (model && headersBefore !== null) model.setValue(headersBefore);
    kept = null;
    headersBefore = null;
    written = [];
    store();
    render();
  }

  function keep(payload) {
    kept = {
      accessToken: payload.accessToken,
      refreshToken: typeof payload.refreshToken === 'string' ? payload.refreshToken : undefined,
      email: typeof payload.user?.email === 'string' ? payload.user.email : kept?.email,
    };
    putTokenInHeaders(kept.accessToken);
    store();
    render();
  }

  /**
   * After a reload: the pair kept before, while the Headers pane still holds a
   * token the keeper wrote, or what it held before the keeper wrote into it.
   * GraphiQL saves the pane a moment after a change, so a quick reload can come
   * back with the one before: the kept token goes in again. A pane the person
   * changed since is theirs. True once the pair is kept again.
   */
  function restore(model) {
    const before = stored();
    if (!before) return false;
    const text = model.getValue();
    const authorization = Object.entries(parseHeaders(text)).find(
      ([name]) => name.toLowerCase() === 'authorization',
    )?.[1];
    const current = authorization === `Bearer ${before.kept.accessToken}`;
    const ours = current || text === (before.headersBefore ?? '') || (before.written ?? []).includes(authorization);
    if (!ours) return false;
    kept = before.kept;
    headersBefore = before.headersBefore;
    written = before.written ?? [];
    if (!current) putTokenInHeaders(kept.accessToken);
    render();
    return true;
  }

  /** GraphiQL makes the Headers pane empty, then puts in the text it kept: restored once that is in. */
  function restoreWhenFilled(model) {
    if (restore(model)) return;
    const filled = model.onDidChangeContent(() => {
      filled.dispose();
      restore(model);
    });
  }

  /** The first root field of a result that holds an access token. */
  function tokensIn(result) {
    const data = result?.data;
    if (!data || typeof data !== 'object') return null;
    return Object.values(data).find((value) => typeof value?.accessToken === 'string') ?? null;
  }

  const expired = (result) =>
    Array.isArray(result?.errors) &&
    result.errors.some(
      (error) => error?.extensions?.code === 'UNAUTHENTICATED' && error.extensions.reason === 'TOKEN_EXPIRED',
    );

  const post = (query, variables, accessToken) =>
    originalFetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    }).then((response) => response.json());

  /** One refresh shared by every request that failed with the same token; false when it did not work. */
  function refreshOnce() {
    const refreshToken = kept?.refreshToken;
    if (!refreshToken) return Promise.resolve(false);
    refreshing ??= post(
      'mutation Refresh($refreshToken: String!) { refresh(refreshToken: $refreshToken) { accessToken refreshToken user { email } } }',
      { refreshToken },
    )
      .then((result) => {
        const pair = result?.data?.refresh;
        if (pair) keep(pair);
        else forget();
        return Boolean(pair);
      })
      .catch(() => false)
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  }

  const urlOf = (input) => (input instanceof Request ? input.url : String(input));

  window.fetch = async (input, init) => {
    const response = await originalFetch(input, init);
    const url = new URL(urlOf(input), location.href);
    if (url.origin + url.pathname !== endpoint || !response.headers.get('content-type')?.includes('json')) {
      return response;
    }
    const result = await response
      .clone()
      .json()
      .catch(() => null);
    const payload = tokensIn(result);
    if (payload) {
      keep(payload);
      return response;
    }
    const sent = new Headers(init?.headers).get('authorization');
    if (kept && expired(result) && sent === `Bearer ${kept.accessToken}` && (await refreshOnce())) {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${kept.accessToken}`);
      return originalFetch(input, { ...init, headers });
    }
    return response;
  };

  // The bar that says a token is kept, with the two ways out.
  const bar = document.createElement('div');
  bar.id = 'tollgate-token';
  bar.setAttribute('role', 'status');
  bar.style.cssText =
    'position:fixed;right:12px;bottom:12px;z-index:1000;display:none;gap:8px;align-items:center;' +
    'padding:6px 10px;border-radius:6px;font:13px system-ui,sans-serif;background:#1b2532;color:#fff;' +
    'box-shadow:0 2px 8px rgba(0,0,0,.3)';
  const label = document.createElement('span');
  const button = (text, onClick) => {
    const element = document.createElement('button');
    element.type = 'button';
    element.textContent = text;
    element.style.cssText =
      'font:inherit;cursor:pointer;border:1px solid #8aa;border-radius:4px;background:none;color:#fff';
    element.addEventListener('click', onClick);
    return element;
  };
  const forgetButton = button('Forget token', forget);
  const signOutButton = button('Sign out', async () => {
    const { refreshToken, accessToken } = kept ?? {};
    forget();
    // The result that showed the tokens goes too.
    responseModel()?.setValue('');
    if (refreshToken) await post('mutation ($r: String) { logout(refreshToken: $r) }', { r: refreshToken });
    else if (accessToken) await post('mutation { logout }', {}, accessToken);
  });
  bar.append(label, forgetButton, signOutButton);

  function render() {
    bar.style.display = kept ? 'flex' : 'none';
    label.textContent = kept
      ? `Signed in${kept.email ? ` as ${kept.email}` : ''}: the token is in the Headers pane`
      : '';
  }
  document.addEventListener('DOMContentLoaded', () => document.body.append(bar));
  // GraphiQL's editors exist once its script has run: the Headers pane now, or when it is made.
  window.addEventListener('load', () => {
    if (!stored()) return;
    const editor = globalThis.monaco?.editor;
    const model = headersModel();
    if (model) restoreWhenFilled(model);
    else if (editor) {
      const made = editor.onDidCreateModel((created) => {
        if (!created.uri.path.endsWith('request-headers.json')) return;
        made.dispose();
        restoreWhenFilled(created);
      });
    }
  });
})();
