/**
 * Labelled corpus for the PII scanner. Labels are ground truth (what a reviewer would call PII in an annotation),
 * not "what the scanner does": the few entries where the two differ are listed in `limitations` with the scanner's
 * actual answer pinned, so precision/recall stay honest and a fix shows up as a changed expectation.
 *
 * All numbers are reserved or published test values: NANP 555-01XX, Ofcom drama ranges, card-scheme test PANs,
 * SSNs from no real person's record (made up, within valid ranges).
 */
import type { PiiType } from '@org/gc-data/pii';

export interface ExpectedFinding {
  type: PiiType;
  match: string;
  /** Given for mixed sentences; otherwise the first occurrence after the previous expected finding. */
  start?: number;
}

export interface CorpusEntry {
  text: string;
  expected: ExpectedFinding[];
  note?: string;
  /** Only in `limitations`: what the scanner actually reports, pinned. */
  scannerSays?: ExpectedFinding[];
}

function embed(type: PiiType, matches: string[], templates: string[]): CorpusEntry[] {
  return matches.map((m, i) => ({ text: templates[i % templates.length]!.replace('{}', m), expected: [{ type, match: m }] }));
}

// ---------------------------------------------------------------------------------------------------------------
// Positives

const PHONE_TEMPLATES = [
  'Call me at {}.',
  'Customer callback number: {}',
  '{} (mobile)',
  'Left a voicemail on {} this morning',
  'Contact: {}; prefers evenings.',
  'Transferred from {} to the billing queue',
  '"{}"',
  'Alt number {}, ask for Sam',
];

const nanp = [
  '(415) 555-0134', '(415)555-0134', '415-555-0134', '415.555.0134', '415 555 0134', '415 555-0134',
  '+1 415 555 0134', '+1-415-555-0134', '+1.415.555.0134', '+1 (415) 555-0134', '+14155550134', '+1(415)555-0134',
  '1-800-555-0199', '1 (800) 555-0199', '1 800 555 0199', '1.800.555.0199', '1(800)555-0199', '(212) 555-0187',
  '212-555-0187', '646.555.0123', '(312) 555-0110', '303-555-0142', '+1 206 555 0100', '(617) 555-0175',
  '786 555 0139', '1-888-555-0111', '+1 (905) 555-0166', '604-555-0192', '(702)555-0148', '213.555.0161',
  '+1-212-555-0187', '919 555-0102', '(888) 555-0100', '+1 4155550134', '1 415 555 0134',
  '415\u2013555\u20130134', '415\u00a0555\u00a00134', '(415)\u00a0555\u20130134', '(415) 5550134',
];

const e164 = [
  '+44 20 7946 0958', '+44 7700 900123', '+4915112345678', '+49 30 901820', '+33 1 42 68 53 00',
  '+61 2 9374 4000', '+81 3-1234-5678', '+91 98765 43210', '+55 11 91234-5678', '+86 138 0013 8000',
  '+353 1 234 5678', '+44 (0)20 7946 0958', '+34 912 345 678', '+39 06 1234 5678', '+31 20 123 4567',
  '+46 8 123 456 78', '+27 21 123 4567', '+52 55 1234 5678', '+65 6123 4567', '+972 3-123-4567',
  '+7 495 123-45-67', '+48 22 123 45 67', '+420 212 345 678', '+64 9 123 4567', '+82 2-312-3456',
  '+971 4 123 4567', '+32 2 123 45 67', '+41 44 668 18 00', '+43 1 234567', '+358 9 1234567',
  '+45 32 12 34 56', '+351 21 123 4567', '+30 21 0123 4567', '+63 2 8123 4567', '+447700900123',
];

/** Unformatted runs (they count only after a phone keyword) and numbers followed by an extension. */
const phoneSentences: CorpusEntry[] = [
  ['Phone: 4155550134', '4155550134'],
  ['please call 2125550187 after 5pm', '2125550187'],
  ['mobile 16175550175', '16175550175'],
  ['Tel 3035550142 (desk)', '3035550142'],
  ['ANI 7025550148 matched the account', '7025550148'],
  ['cell: 1 4155550134', '1 4155550134'],
  ['fax number is 2135550161', '2135550161'],
  ['WhatsApp 7865550139', '7865550139'],
  ['phone number is 2125550187', '2125550187'],
  ['text me at 6465550123 when ready', '6465550123'],
  ['+1 415-555-0134x12 (ext)', '+1 415-555-0134'],
  ['Direct: 212-555-0187 x 204', '212-555-0187'],
].map(([text, match]) => ({ text: text!, expected: [{ type: 'phone' as const, match: match! }] }));

const EMAIL_TEMPLATES = [
  'Email {} for the invoice.',
  'Send the recording to {}',
  'Contact <{}>',
  'Customer ({}) asked for a refund',
  'mailto:{}',
  'Reply-To: {}',
  "Customer's address is {}.",
  '{}, cc the supervisor',
];

const emails = [
  'jane.doe@example.com', 'john.smith+billing@mail.example.co.uk', 'a.b-c_d@sub.domain.org', 'user123@example.io',
  'JANE.DOE@EXAMPLE.COM', 'first.last@company-name.com', "o'brien@example.ie", 'support@genesys.example',
  'agent_42@contact-center.example.net', 'x@y.co', 'customer.service@bank.example', 'ops-team@eu.example.com',
  'name@xn--80ak6aa92e.com', 'info@example.xn--p1ai', '12345@numbers.example.com', 'first_last@example.travel',
  'billing%dept@example.org', 'j@example.museum', 'user.name@sub1.sub2.sub3.example.com', 'a1b2c3@d4e5.example',
  'noreply@notifications.example.com', 'maria.garcia@correo.example.es', 'li.wei@example.cn',
  'hans.mueller@example.de', 'priya.sharma@example.in', 'sven@example.se', 'tom-jones@example.co.nz',
  'e.mail@sub-domain.example.com', 'test.email+alex@leetcode.com', 'disposable.style.email.with+symbol@example.com',
  'other.email-with-hyphen@example.com', 'fully-qualified-domain@example.com', 'user.name+tag+sorting@example.com',
  'example-indeed@strange-example.com', 'example@s.example', 'user-@example.org', '4155550134@txt.example.net',
  `${'a'.repeat(64)}@example.com`, 'Bob.Smith@Example.Org', 'q@q.qq', 'dev+ci.bot@build-01.example.dev',
  'anna.k@mail.example.co.jp',
];

const CARD_TEMPLATES = [
  'Card {} exp 12/27',
  'Paid with {}.',
  'PAN: {}',
  'customer read out {} over the phone',
  '({})',
  'card number {}, CVV withheld',
];

/** Scheme test PANs in the groupings people type. */
const cards = [
  '4111111111111111', '4111 1111 1111 1111', '4111-1111-1111-1111', '4012888888881881', '4012 8888 8888 1881',
  '4222222222222', '5555555555554444', '5555 5555 5555 4444', '5105-1051-0510-5100', '2223003122003222',
  '2223 0031 2200 3222', '378282246310005', '3782 822463 10005', '3714-496353-98431', '378734493671000',
  '6011111111111117', '6011 0009 9013 9424', '3530111333300000', '3566 0020 2036 0505', '30569309025904',
  '3056 930902 5904', '38520000023237', '6200000000000005', '4242 4242 4242 4242', '4000056655665556',
  '5200 8282 8282 8210', '4000-0025-0000-3155', '36227206271667', '5425233430109903', '2222 4200 0000 1113',
  '6250941006528599', '6304000000000000', '6759 6498 2643 8453', '4917610000000000003',
  '4917 6100 0000 0000 003', '6011000000000004', '3566111111111113', '5019717010103742', '4571 7360 0000 0075',
  '4035501000000008', '6445644564456445', '4988 4388 4388 4305', '2200000000000004', '4263982640269299',
  '5500-0055-5555-5559',
];

const SSN_TEMPLATES = ['SSN {}', 'Social security number: {}.', 'caller gave {} to verify', 'ssn={}', '[{}]'];

const ssns = [
  '123-45-6789', '536-90-4399', '219-09-9998', '001-01-0001', '665-12-3456', '667-12-3456', '899-99-9999',
  '078-05-1121', '123 45 6789', '401-22-3344', '772-81-0456', '234-56-7890', '345-67-8901', '512-34-5678',
  '609-11-2233', '700-10-1000', '856-42-1937', '020-30-4050', '318 62 9104', '489-77-1290', '555-01-2345',
  '642-18-7365', '101-01-1010', '730-28-6619', '468-93-2201',
];

const ssnWithContext: CorpusEntry[] = [
  ['SSN 536904399', '536904399'],
  ['social security number 212459876', '212459876'],
  ['SS# 401223344 on file', '401223344'],
  ['Soc Sec: 772810456', '772810456'],
  ['ssn:123456789', '123456789'],
  ['Social-Security 609112233', '609112233'],
  ['her SSN is 512345678.', '512345678'],
].map(([text, match]) => ({ text: text!, expected: [{ type: 'ssn' as const, match: match! }] }));

/** PII whatever surrounds it (given a space either side): no bare runs that need a keyword. */
export const selfEvident: Record<PiiType, string[]> = { phone: [...nanp, ...e164], email: emails, card: cards, ssn: ssns };

export const positives: Record<PiiType, CorpusEntry[]> = {
  phone: [...embed('phone', selfEvident.phone, PHONE_TEMPLATES), ...phoneSentences],
  email: embed('email', emails, EMAIL_TEMPLATES),
  card: embed('card', cards, CARD_TEMPLATES),
  ssn: [...embed('ssn', ssns, SSN_TEMPLATES), ...ssnWithContext],
};

// ---------------------------------------------------------------------------------------------------------------
// Negatives: things that look like PII to a naive regex (the seed's) and are not

const negativeTexts: Array<[note: string, texts: string[]]> = [
  ['order and invoice numbers', [
    'Order #100234567 shipped', 'Order #4155550134 was refunded', 'INV-2024-000123', 'PO-415-555-0134 approved',
    'SKU-4111-1111-1111-1111', 'ticket AB415-555-0134', 'Account 4155550134', 'Reference 14155550134',
    'case 00123456 escalated', 'RMA 2024-0513-7781', 'Order 123456789', 'routing 021000021',
    'member id 987654321', 'ref: 123456789012', 'Invoice 2024/05/13-0042', 'SSN verified, order 123456789 shipped',
    'call logged, ticket 4155550134', 'ssn on file; member 512345678 renewed', 'phone updated in CRM record 2125550187',
  ]],
  ['timestamps and epochs', [
    '1700000000000', 'epoch 1715594400000 ms', 'created_at=1715594400', '1700000000', 'ts 1715594400123456',
    'duration 00:04:35', '10:00:00', '12:30 pm', 'PT15M', '20240513T100000Z', '1715594400.123',
  ]],
  ['dates', [
    '2024-05-13', '2024-05-13T10:00:00Z', '2024-05-13T10:00:00.000+02:00', '13/05/2024', '05-13-2024',
    '2024.05.13', 'between 2024-05-13 and 2024-06-13', '+2024-05-13', 'FY2024-Q2', 'Mon, 13 May 2024 10:00:00 GMT',
  ]],
  ['versions and build numbers', [
    'v10.2.3', '1.2.3.4', 'version 415.555.01', 'node v20.11.1', 'Build 20240513.1', 'lodash@4.17.21',
    'chrome/124.0.6367.91', 'release 2024.05.1-rc.2', 'api v2', 'schema 3.14.159.2653',
  ]],
  ['network addresses', [
    '192.168.1.1', '10.0.0.255', '255.255.255.0', '172.16.254.1', '8.8.8.8', '192.168.100.200',
    '2001:db8::8a2e:370:7334', 'fe80::1%eth0', 'port 5432', '10.415.555.134', 'mac 00:1A:2B:3C:4D:5E',
  ]],
  ['money and quantities', [
    '$1,234.56', '€1.234,56', 'USD 4,155,550.13', '$415.55', 'total $4,111,111.11', '99.5%', '3.14159265358979',
    '1,415,555,013', '£2,125,550,187', 'qty 415 x 555', '415 + 555 = 970', 'pages 100-120', 'ext. 4567',
  ]],
  ['identifiers with digits', [
    '123e4567-e89b-12d3-a456-426614174000', 'a3f5c9e1b2d4', 'd41d8cd98f00b204e9800998ecf8427e',
    'ISBN 978-3-16-148410-0', 'ISBN 9783161484100', 'IMEI 490154203237518', 'IMEI 356938035643809',
    'Tracking 1Z999AA10123456784', '9400 1000 0000 0000 0000 00', 'IBAN DE44 5001 0517 5407 3249 31',
    'IBAN GB82 WEST 1234 5698 7654 32', 'FR14 2004 1010 0505 0001 3M02 606', 'ZIP 94107', '94107-1234',
    '37.7749, -122.4194', '1-2-3-4-5-6-7-8-9-10', 'conversationId 7f3c9a1e-2b4d-4e8f-9a0b-1c2d3e4f5a6b',
  ]],
  ['phone-shaped but invalid or malformed', [
    '(015) 555-0134', '115-555-0134', '415-055-0134', '415-155-0134', '(911) 555-0134', '411-555-0134',
    '+1 015 555 0134', '4155-550-134', '41-555-50134', '415-5550-134', '415-555-01345', '4155550134',
    '+1234', '+12 345', '+0 123 456 789', '+1 415 555 013', '415-555-0134x', '1-100-555-0199', '415.555-0134',
  ]],
  ['card-shaped but not a card', [
    '4111 1111 1111 1112', '5555555555554445', '3782822463100050', '1234 5678 9012 3456', '7489 1234 5678 9012',
    '41111111111111111111', 'x4111111111111111', '4111 1111 1111 111', '4111111111111111.5', '9111111111111111',
    '1715594400000', '4111-1111-1111-1111-22', '8000 0000 0000 0000', '12 4111 1111 1111 1111', '#12 4111 1111 1111 1111',
    '4111 1111 1111 1111111',
  ]],
  ['ssn-shaped but invalid', [
    '000-12-3456', '666-12-3456', '900-12-3456', '999-99-9999', '123-00-4567', '123-45-0000', '078-05-1120',
    '219-09-9999', '457-55-5462', '123456789', '12-345-6789', '1234-56-789', '123-456-789', '123-45-67890',
    '123-45-678', 'ABC123-45-6789', '123-45-6789-01', 'SSN 000000000', 'SSN 666123456', '123-45 6789',
  ]],
  ['not an email', [
    '@mention', '@org/gc-data', 'user@localhost', 'john@', '@example.com', 'user@.com', 'user@example',
    'logo@2x.png', 'icon@3x.jpg', 'a@b', 'user@@example.com', 'name@123.456.789.0', 'user@example.c',
    'email@-example.com', '@@@@', 'john.@example.com', 'price@5.00',
  ]],
];

export const negatives: CorpusEntry[] = negativeTexts.flatMap(([note, texts]) =>
  texts.map((text) => ({ text, expected: [], note })),
);

// ---------------------------------------------------------------------------------------------------------------
// Mixed sentences, with positions

export const mixed: CorpusEntry[] = [
  {
    text: 'Customer Jane (jane.doe@example.com, 415-555-0134) paid with 4111 1111 1111 1111; SSN 123-45-6789.',
    expected: [
      { type: 'email', match: 'jane.doe@example.com', start: 15 },
      { type: 'phone', match: '415-555-0134', start: 37 },
      { type: 'card', match: '4111 1111 1111 1111', start: 61 },
      { type: 'ssn', match: '123-45-6789', start: 86 },
    ],
  },
  {
    text: 'Order #100234567 on 2024-05-13: call +44 20 7946 0958 about $1,234.56 refund.',
    expected: [{ type: 'phone', match: '+44 20 7946 0958', start: 37 }],
  },
  {
    text: 'v10.2.3 on 10.0.0.1 logged 1700000000000; agent emailed ops-team@eu.example.com at 10:00:00Z.',
    expected: [{ type: 'email', match: 'ops-team@eu.example.com', start: 56 }],
  },
  {
    text: 'Callback 1-800-555-0199 or (212) 555-0187, card ending 4242 on 4242-4242-4242-4242.',
    expected: [
      { type: 'phone', match: '1-800-555-0199', start: 9 },
      { type: 'phone', match: '(212) 555-0187', start: 27 },
      { type: 'card', match: '4242-4242-4242-4242', start: 63 },
    ],
  },
  {
    text: 'INV-2024-000123: SSN 536904399, phone 4155550134, email x@y.co',
    expected: [
      { type: 'ssn', match: '536904399', start: 21 },
      { type: 'phone', match: '4155550134', start: 38 },
      { type: 'email', match: 'x@y.co', start: 56 },
    ],
  },
  {
    text: 'Amex 3782 822463 10005, Visa 4012888888881881 and +4915112345678 all in one note',
    expected: [
      { type: 'card', match: '3782 822463 10005', start: 5 },
      { type: 'card', match: '4012888888881881', start: 29 },
      { type: 'phone', match: '+4915112345678', start: 50 },
    ],
  },
  {
    text: 'SMS gateway 4155550134@txt.example.net (not a bare phone), IP 192.168.1.1, price $415.55',
    expected: [{ type: 'email', match: '4155550134@txt.example.net', start: 12 }],
  },
  {
    text: '078-05-1120 is the Woolworth wallet number; 078-05-1121 is not on the list.',
    expected: [{ type: 'ssn', match: '078-05-1121', start: 44 }],
  },
  {
    text: '(415) 555-0134,(415) 555-0135;415.555.0136|+1 415 555 0137',
    expected: [
      { type: 'phone', match: '(415) 555-0134', start: 0 },
      { type: 'phone', match: '(415) 555-0135', start: 15 },
      { type: 'phone', match: '415.555.0136', start: 30 },
      { type: 'phone', match: '+1 415 555 0137', start: 43 },
    ],
  },
  {
    text: 'a@b.co,c@d.io;e@f.org',
    expected: [
      { type: 'email', match: 'a@b.co', start: 0 },
      { type: 'email', match: 'c@d.io', start: 7 },
      { type: 'email', match: 'e@f.org', start: 14 },
    ],
  },
  {
    text: 'Ticket 1715594400000: customer read 5555 5555 5555 4444 then 5555 5555 5555 4445 (typo) and 123 45 6789.',
    expected: [
      { type: 'card', match: '5555 5555 5555 4444', start: 36 },
      { type: 'ssn', match: '123 45 6789', start: 92 },
    ],
  },
  {
    text: 'Contact: "Bob.Smith@Example.Org" / 303.555.0142 / SKU-4111-1111-1111-1111',
    expected: [
      { type: 'email', match: 'Bob.Smith@Example.Org', start: 10 },
      { type: 'phone', match: '303.555.0142', start: 35 },
    ],
  },
  {
    text: 'Line1\nphone: 786 555 0139\nssn: 219-09-9998\ncard: 6011 0009 9013 9424\n',
    expected: [
      { type: 'phone', match: '786 555 0139', start: 13 },
      { type: 'ssn', match: '219-09-9998', start: 31 },
      { type: 'card', match: '6011 0009 9013 9424', start: 49 },
    ],
  },
  {
    text: 'Über-Kunde müller@example.de rief +49 30 901820 an; Karte 4000 0566 5566 5556.',
    expected: [
      { type: 'email', match: 'müller@example.de', start: 11 },
      { type: 'phone', match: '+49 30 901820', start: 34 },
      { type: 'card', match: '4000 0566 5566 5556', start: 58 },
    ],
  },
  {
    text: 'order #423383386 6011 0009 9013 9424, exp 12/25 4111 1111 1111 1111 from 10.0.0.1 4242 4242 4242 4242',
    expected: [
      { type: 'card', match: '6011 0009 9013 9424', start: 17 },
      { type: 'card', match: '4111 1111 1111 1111', start: 48 },
      { type: 'card', match: '4242 4242 4242 4242', start: 82 },
    ],
  },
  {
    text: '{"notes":"call 415-555-0134","email":"jane@example.com","amount":"1234.56"}',
    expected: [
      { type: 'phone', match: '415-555-0134', start: 15 },
      { type: 'email', match: 'jane@example.com', start: 38 },
    ],
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Known limitations: ground truth differs from the scanner; documented in docs/pii.md

export const limitations: CorpusEntry[] = [
  {
    text: 'reach me on 4155550134 tomorrow',
    expected: [{ type: 'phone', match: '4155550134' }],
    scannerSays: [],
    note: 'bare 10 digits without a phone keyword are not flagged (order numbers look the same)',
  },
  {
    text: 'UK office 020 7946 0958',
    expected: [{ type: 'phone', match: '020 7946 0958' }],
    scannerSays: [],
    note: 'national formats other than NANP need the +country form',
  },
  {
    text: 'jane dot doe at example dot com',
    expected: [{ type: 'email', match: 'jane dot doe at example dot com' }],
    scannerSays: [],
    note: 'obfuscated addresses are not decoded',
  },
  {
    text: 'clone git@github.com:org/repo.git first',
    expected: [],
    scannerSays: [{ type: 'email', match: 'git@github.com' }],
    note: 'scp-style git remotes have the shape of an address',
  },
];

export const corpus: CorpusEntry[] = [...Object.values(positives).flat(), ...negatives, ...mixed, ...limitations];
