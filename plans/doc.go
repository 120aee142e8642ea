// Package plans is the pure mathematics of payment plans: a creditor's limits
// (Policy), the options a debtor is offered, the exact schedule of a plan and
// the settlement offer. It does no I/O and imports only the standard library.
//
// Conventions used throughout:
//
//   - Money is int64 minor units (cents). Amounts of a schedule always sum
//     exactly to the balance; no floats are used anywhere.
//   - A date is a calendar day held in a time.Time at midnight UTC (see Date
//     and DateOf). Functions that take "today" or a start date read the
//     calendar day of that time in its own location, so the caller passes a
//     time in the creditor's time zone and the debtor sees the same day.
//   - Count is the total number of payments in a plan, the down payment
//     included, so len(Option.Instalments) == Option.Count and
//     max_instalments limits what the debtor actually pays.
//   - The first payment of an offered option falls on the day it is offered:
//     the debtor pays it at once through Checkout.
//   - Monthly dates are computed from the start date, never by chaining, so a
//     plan started on 31 January pays on 28 or 29 February, then 31 March.
package plans
