package portal

// smsNumber writes a phone number as an SMS API wants it (E.164): French
// national numbers (0X XX XX XX XX) get +33; others keep their + and digits.
func SmsNumber(phone string) string {
	d := Digits(phone)
	for _, r := range phone {
		if r == '+' {
			return "+" + d
		}
		if r != ' ' {
			break
		}
	}
	if len(d) == 10 && d[0] == '0' {
		return "+33" + d[1:]
	}
	return d
}
