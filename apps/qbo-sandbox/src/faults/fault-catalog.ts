// Intuit's fault codes with the Message/Detail texts seen in recorded responses
// (REFERENCE.md §4 and the fixtures). One builder per code so every rule says the same thing.

import { QboFault, validationFault } from './fault.js';

export const objectNotFound = (detail?: string) =>
  validationFault(
    '610',
    'Object Not Found',
    detail ??
      "Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.",
    '',
  );

export const deletedTransaction = () =>
  objectNotFound('Object Not Found : Another user has deleted this transaction.');

export const unsupportedProperty = (entity: string, property: string) =>
  validationFault(
    '2010',
    'Request has invalid or unsupported property',
    `Property Name:Unrecognized field "${property}" (class com.intuit.schema.finance.v3.${entity}), not marked as ignorable specified is unsupported or invalid`,
  );

export const requiredParam = (element: string) =>
  validationFault(
    '2020',
    'Required param missing, need to supply the required value for the API',
    `Required parameter ${element} is missing in the request`,
    element,
  );

export const invalidId = (supplied: string) =>
  validationFault('2030', 'Invalid ID', `Id should be a valid number. Supplied value:${supplied}`, 'Id');

export const stringLength = (element: string, max: number, supplied: number) =>
  validationFault(
    '2050',
    'String length is either shorter or longer than supported by specification',
    `String length specified does not match the supported length. Min:0 Max:${max} supplied length:${supplied}`,
    element,
  );

export const invalidEnumeration = (element: string, value: string) =>
  validationFault('2170', 'Invalid Enumeration', `Invalid Enumeration : ${value}`, element);

export const invalidReference = (element: string, value: string) =>
  validationFault('2500', 'Invalid Reference Id', `Invalid Reference Id : ${element} assigned is invalid: ${value}`, element);

export const queryParseError = (detail: string) =>
  validationFault('4000', 'Error parsing query', `QueryParserError: ${detail}`);

export const invalidQuery = (detail: string) => validationFault('4001', 'Invalid query', `QueryValidationError: ${detail}`);

export const staleObject = () =>
  validationFault(
    '5010',
    'Stale Object Error',
    'Stale Object Error : You and root were working on this at the same time. root finished before you did, so your work was not saved.',
    '',
  );

export const businessValidation = (detail: string, element = '') =>
  validationFault('6000', 'A business validation error has occurred while processing your request', `Business Validation Error: ${detail}`, element);

export const accountTypeMissing = () =>
  validationFault('6010', 'Invalid account type', 'Invalid account type : You must select an account type or detail type (AccountType or AccountSubType).', 'AccountType');

export const amountMismatch = (lineNum: number) =>
  validationFault('6070', 'Amount is not equal to UnitPrice * Qty', `Amount is not equal to UnitPrice * Qty. Supplied value:line ${lineNum}`, 'Line.Amount');

export const nameMissing = () =>
  validationFault('6080', 'Name Empty Error', 'Name Empty Error : Please supply a display name or at least one of Title, GivenName, MiddleName, FamilyName or Suffix.', 'DisplayName');

export const duplicateDocNumber = (docNumber: string, txnType: string, txnId: string) =>
  validationFault(
    '6140',
    'Duplicate Document Number Error',
    `Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=${docNumber} is assigned to TxnType=${txnType} with TxnId=${txnId}`,
    '',
  );

export const duplicateName = (detail: string) => validationFault('6240', 'Duplicate Name Exists Error', `The name supplied already exists. : ${detail}`);

export const unsupportedOperation = (detail: string) =>
  validationFault('500', 'Unsupported Operation', `Operation ${detail} is not supported.`);

export const systemFault = (status = 500) =>
  new QboFault(status, 'SystemFault', [
    { Message: 'An application error has occurred while processing your request', Detail: 'System Failure Error: An unexpected error occurred while accessing or saving your data. Please wait a few minutes and try again. If the problem persists, contact customer support.', code: '10000', element: '' },
  ]);

export const serviceUnavailable = () =>
  new QboFault(503, 'SystemFault', [
    { Message: 'Service Unavailable', Detail: 'The service is temporarily unavailable. Please try again later.', code: '10000', element: '' },
  ]);

export const requestTooLarge = (detail: string) => validationFault('2050', 'Request has exceeded the supported limit', detail);

export const applicationAuthorizationFailed = () =>
  new QboFault(403, 'AuthorizationFault', [
    { Message: 'message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403', Detail: 'The application is not authorized to access this company (realmId).', code: '3100' },
  ]);

export const isFault = (e: unknown): e is QboFault => e instanceof QboFault;
