"""The two ways in through a browser: the participants' pages of a round
(`room`, standard library only) and the whole app in a browser (`serve`,
through the optional textual-serve). Both bind to loopback unless told
otherwise, and answer nothing without a code or a token."""
