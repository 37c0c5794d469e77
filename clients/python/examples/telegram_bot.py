"""A python-telegram-bot (v20+, asyncio) bot that connects its users' Jira accounts through the auth server.

    /auth    a button with the user's authorization link
    /status  whether the user is connected
    /me      one Jira call through the auth server: GET rest/api/3/myself
    /logout  forgets the user's grant

Settings (environment variables):
    TELEGRAM_BOT_TOKEN   the bot's token from @BotFather (required)
    INTERNAL_API_KEY     the auth server's API key (required)
    JIRA_AUTH_URL        the auth server, default http://localhost:5000

Run: pip install python-telegram-bot>=20 && pip install -e clients/python && python telegram_bot.py
"""

from __future__ import annotations

import logging
import os
import sys

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler, ContextTypes

from jira_auth_client import (
    AsyncJiraAuthClient,
    JiraAuthError,
    NotConnected,
    ReauthorizationRequired,
    RetryLater,
)

log = logging.getLogger("jira-bot")


def required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        sys.exit(f"{name} is not set")
    return value


def auth_client(context: ContextTypes.DEFAULT_TYPE) -> AsyncJiraAuthClient:
    return context.application.bot_data["auth"]


async def on_auth(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    url = await auth_client(context).start(update.effective_user.id)
    button = InlineKeyboardMarkup([[InlineKeyboardButton("Connect Jira", url=url)]])
    await update.message.reply_text("Press the button to connect your Jira account.", reply_markup=button)


async def on_status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    status = await auth_client(context).status(update.effective_user.id)
    if status.authenticated:
        text = f"Connected; the current token is valid until {status.expires_at:%Y-%m-%d %H:%M} UTC."
    elif status.reauthorization_required:
        text = "Jira asks you to authorize again: send /auth."
    else:
        text = "Not connected: send /auth."
    await update.message.reply_text(text)


async def on_me(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    try:
        me = await auth_client(context).jira(update.effective_user.id, "GET", "rest/api/3/myself")
    except (NotConnected, ReauthorizationRequired):
        await update.message.reply_text("Connect your Jira account first: send /auth.")
        return
    except RetryLater as error:
        await update.message.reply_text(f"Jira is briefly unreachable; try again in {error.retry_after or 30:.0f} s.")
        return
    if me.status_code != 200:
        # Jira's own answer, passed on as it is: the bot decides what it means.
        await update.message.reply_text(f"Jira answered {me.status_code}.")
        return
    user = me.json()
    await update.message.reply_text(f"You are {user.get('displayName')} ({user.get('emailAddress')}).")


async def on_logout(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    revoked = await auth_client(context).revoke(update.effective_user.id)
    await update.message.reply_text("Disconnected." if revoked else "You were not connected.")


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    # The client's errors never hold a token, so logging them is safe.
    log.warning("request failed: %r", context.error)
    if isinstance(update, Update) and update.effective_message is not None:
        text = "The Jira connection service is not available right now." if isinstance(context.error, JiraAuthError) else "Something went wrong."
        await update.effective_message.reply_text(text)


async def open_clients(application: Application) -> None:
    settings = application.bot_data["settings"]
    application.bot_data["auth"] = AsyncJiraAuthClient(settings["auth_url"], settings["api_key"])


async def close_clients(application: Application) -> None:
    await application.bot_data["auth"].aclose()


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    bot_token = required("TELEGRAM_BOT_TOKEN")
    settings = {
        "api_key": required("INTERNAL_API_KEY"),
        "auth_url": os.environ.get("JIRA_AUTH_URL", "http://localhost:5000"),
    }
    application = Application.builder().token(bot_token).post_init(open_clients).post_shutdown(close_clients).build()
    application.bot_data["settings"] = settings
    application.add_handler(CommandHandler(["auth", "start"], on_auth))
    application.add_handler(CommandHandler("status", on_status))
    application.add_handler(CommandHandler("me", on_me))
    application.add_handler(CommandHandler("logout", on_logout))
    application.add_error_handler(on_error)
    application.run_polling()


if __name__ == "__main__":
    main()
