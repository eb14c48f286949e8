// The e2e harness's error codes, in the shape of controller/src/errors.ts, for the lead to fold
// in. Codes are stable; messages say what failed and where its log is.

export const HWS_E2E_ERR = {
  HWS_E2E_ERR_TOOL: { doc: 'A tool script failed: a binary could not be built, or a host command is missing and could not be installed; the script\'s own message says which.' },
  HWS_E2E_ERR_PKI: { doc: 'openssl failed while making the control plane\'s certificates.' },
  HWS_E2E_ERR_START: { doc: 'etcd or kube-apiserver exited or was not ready in time; the message ends with its log.' },
  HWS_E2E_ERR_STOPPED: { doc: 'The control plane was used after stop().' },
  HWS_E2E_ERR_TOOL_RUN: { doc: 'kubectl or helm exited non-zero; the message carries its stderr.' },
  HWS_E2E_ERR_NETNS: { doc: 'A network namespace, veth pair or address could not be set up (needs root or CAP_NET_ADMIN), or no /30 block was free.' },
} as const;

export type E2eErrorCode = keyof typeof HWS_E2E_ERR;

export class E2eError extends Error {
  readonly code: E2eErrorCode;
  constructor(code: E2eErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'E2eError';
    this.code = code;
  }
}
