"""Wording of the account tasks: questions, confirmations and results.

Pure functions. ``gentle`` is true when the customer shared something hard
(any distress category): the same facts, said more softly, with no cheerful
sign-offs.
"""

from __future__ import annotations

from datetime import date

from actions.store_accounts import Account, Address, Line, Plan


def money(cents: int) -> str:
    """Format cents as dollars: 5500 -> "$55", 1250 -> "$12.50"."""
    return f"${cents // 100}" if cents % 100 == 0 else f"${cents / 100:.2f}"


def price(plan: Plan) -> str:
    """A plan's price with its period: "$55 a month" or "$10 a day"."""
    return f"{money(plan.price_cents)} a {plan.billing_period}"


def first_name(line: Line) -> str:
    """The first name of a line's user, for warm wording."""
    return line.user_name.split()[0]


def line_label(line: Line) -> str:
    """How a line is shown on a button: "Eleanor Walsh · +1 555 0103"."""
    return f"{line.user_name} · {line.phone_number}"


def day(value: date) -> str:
    """A date as "Thursday, December 3"."""
    return f"{value:%A}, {value:%B} {value.day}"


def ask_account_ref(gentle: bool, quote: str | None = None) -> str:
    """Ask for the account number or phone number, after the quote for a travel pass."""
    question = ("what's the account number (it's on the bill and starts with ACC-, like "
                "ACC-1001) or a phone number on the account?")
    if quote:
        return f"{quote} To put it on your account, I'll need to find it: {question}"
    if gentle:
        return ("There's no rush at all. Whenever you're ready, I'll just need to find the "
                f"account: {question}")
    return f"Sure, I can help with that. I just need to find the account: {question}"


def ask_postcode(gentle: bool) -> str:
    """Ask for the ZIP code that proves the account is theirs."""
    if gentle:
        return "Thank you. Just to keep the account safe, what's the ZIP code on it?"
    return "Thanks. To make sure it's you, what's the ZIP code on the account?"


def ask_line(task: str, gentle: bool, account: Account) -> str:
    """Ask which line a task is about."""
    if task == "remove_line":
        if gentle and account.owner_deceased:
            return "Which line would you like to close? Take your time."
        return "Which line would you like to remove?"
    if task == "add_roaming":
        return "Which phone will you be taking with you?"
    return "Which line is this for?"


def ask_plan(line: Line, recent: tuple[str, date] | None) -> str:
    """Ask for the new plan, saying what the line has now."""
    now = f"{first_name(line)}'s line is on {line.plan.name} at {price(line.plan)}"
    if recent is not None:
        return (f"{now}, since {day(recent[1])}. As that was a recent change, I can swap it "
                "with no change fee. Which plan would fit better?")
    return f"{now}. Which plan would you like instead?"


def ask_address(gentle: bool) -> str:
    """Ask for the new billing and mailing address."""
    lead = "Of course, whenever you're ready. " if gentle else ""
    return (f"{lead}What's the new address? Please write it on one line, like this: "
            "12 Pine Road, Springfield, IL 62704.")


def ask_holder(account: Account, gentle: bool) -> str:
    """Ask whose name the account should move into."""
    if account.owner_deceased:
        return ("Whose name should the account go into? If it's yours, just type your full "
                "name. There's no rush.")
    lead = "Of course. " if gentle else ""
    return f"{lead}Whose name should the account go into? Please type their full name."


def trip_quote(country: str, plan: Plan, start: date, end: date) -> str:
    """The price of a travel pass for a trip, said before anything is added."""
    days = (end - start).days + 1
    return (f"{plan.name} covers {country}: {price(plan)}, charged only on days you use your "
            f"phone there, so at most {money(plan.price_cents * days)} for your {days} days.")


def confirm_remove(line: Line, gentle: bool) -> str:
    """Summarise a line removal before asking for a yes."""
    who = f"{first_name(line)}'s line" if gentle else f"the line for {line.user_name}"
    return (f"Just to check: I'll close {who} ({line.phone_number}, {line.plan.name}) from "
            f"today, and it won't be billed after that. Shall I go ahead?")


def confirm_plan(line: Line, new: Plan, exchange: bool) -> str:
    """Summarise a plan change, with the difference in price."""
    diff = new.price_cents - line.plan.price_cents
    change = (f"{money(abs(diff))} a month more" if diff > 0 else
              f"{money(abs(diff))} a month less" if diff < 0 else "the same price")
    swap = " with no change fee, as it was a recent purchase" if exchange else ""
    return (f"Just to check: {line.phone_number} moves from {line.plan.name} "
            f"({price(line.plan)}) to {new.name} ({price(new)}), so that's {change}{swap}. "
            "It starts today. Shall I go ahead?")


def confirm_address(address: Address) -> str:
    """Summarise an address change."""
    return (f"Just to check: the billing and mailing address becomes {format_address(address)}. "
            "Shall I go ahead?")


def format_address(address: Address) -> str:
    """An address on one line."""
    return f"{address.line1}, {address.city}, {address.region} {address.postal_code}"


def confirm_roaming(line: Line, quote: str, start: date, end: date) -> str:
    """Summarise a travel pass before adding it."""
    return (f"Just to check: I'll add it to {line.phone_number} from {day(start)} to "
            f"{day(end)}. {quote} Shall I go ahead?")


def documents(reason: str, owner: str, new_holder: str) -> str:
    """The documents a transfer of ownership needs, said plainly."""
    if reason == "bereavement":
        return f"a copy of the death certificate and a photo ID for {new_holder}"
    if reason == "separation":
        return (f"{owner}'s written OK (or a court order that covers it) and a photo ID "
                f"for {new_holder}")
    return f"{owner}'s written OK and a photo ID for {new_holder}"


def confirm_transfer(account: Account, new_holder: str, reason: str) -> str:
    """Summarise a transfer of ownership and what it needs."""
    owner = account.owner_name.split()[0]
    return (f"Just to check: I'll start moving the account from {owner} into {new_holder}'s "
            f"name. Nothing about the lines or numbers changes. To finish it we'll need "
            f"{documents(reason, owner, new_holder)}. Shall I start it?")


def care_offer(late_owner: str) -> str:
    """The unstated needs after a bereavement, offered and never pushed."""
    return (f"Only if and when it would help: a person from our team can also take "
            f"{late_owner}'s card off the account, stop bills and mail in {late_owner}'s name, "
            "and set up our bereavement discount. Just say the word, or leave it for another day.")


NOTHING_CHANGED = "Okay, I've left everything as it is. Nothing has been changed."
STOPPED = ("No problem, I've stopped there and nothing has been changed. Is there anything "
           "else I can help with? A person from our team is here too if you need one.")
UNAVAILABLE = ("I'm sorry, I can't reach our account system right now, so nothing has been "
               "changed. A person from our team can help, just say you'd like to talk to someone.")
