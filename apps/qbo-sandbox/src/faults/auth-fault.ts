// The gateway's 401: unlike every other fault it is lower-case, carries many null siblings and an
// epoch-millisecond "time" (fixture fault_401_authentication_lowercase.json), plus www-authenticate.

export const WWW_AUTHENTICATE = 'Bearer realm="Intuit", error="invalid_token"';

export const authenticationFailedBody = (detail: string, at: Date) => ({
  warnings: null,
  intuitObject: null,
  fault: {
    error: [
      {
        message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401',
        detail,
        code: '3200',
        element: null,
      },
    ],
    type: 'AUTHENTICATION',
  },
  report: null,
  queryResponse: null,
  batchItemResponse: [],
  attachableResponse: [],
  syncErrorResponse: null,
  requestId: null,
  time: at.getTime(),
  status: null,
  cdcresponse: [],
});
