import { createContext, useContext } from "react";

/**
 * This request's Content-Security-Policy nonce (set by the server for each document), for
 * the inline scripts Remix and React write. Empty in the browser, which hides nonces.
 */
export const NonceContext = createContext<string | undefined>(undefined);

export const useNonce = () => useContext(NonceContext);
