"""Writes for users and their roles. A password is checked by Django's password validators
wherever an account is made or changed, and never reaches the audit log."""

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accords.core.actions import action
from accords.core.models import Profile
from accords.core.roles import ROLES, user_role
from accords.core.zones import zone_names
from accords.registry.services import state_for_code

# Roles that refer and fly people under their own state's agreements.
SENDING_ROLES = {"sending_officer", "sending_supervisor"}


def _password_checked(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None


@action(
    "user.create", records=("username", "role", "receiving_state", "staff"), withholds=("password",)
)
def user_create(
    *,
    actor,
    username: str,
    password: str,
    role: str,
    receiving_state: str = "",
    sending_state: str = "",
    staff=False,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """An account in one role. Its holder's full name (first and last) is what notices they
    serve name them by; the log keeps only a digest of it."""
    if role not in ROLES:
        raise ValidationError({"role": f'Unknown role "{role}"; one of: {", ".join(ROLES)}.'})
    if role == "receiving_officer" and not receiving_state:
        raise ValidationError(
            {"receiving_state": "A receiving officer serves one receiving state."}
        )
    if role in SENDING_ROLES and not sending_state:
        raise ValidationError({"sending_state": "A sending officer works for one sending state."})
    if role not in SENDING_ROLES and sending_state:
        raise ValidationError({"sending_state": "Only sending officers work for a sending state."})
    user = User(username=username, is_staff=staff, first_name=first_name, last_name=last_name)
    _password_checked(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get(name=role))
    state = state_for_code(receiving_state, field="receiving_state") if receiving_state else None
    sending = state_for_code(sending_state, field="sending_state") if sending_state else None
    Profile.objects.create(user=user, receiving_state=state, sending_state=sending)
    return user


@action("user.sending_state_set")
def user_sending_state_set(*, actor, user: User, sending_state: str) -> User:
    """Bind a sending officer or supervisor to the state they work for (accounts made before
    sending officers were bound to one have none, and may use no agreement until bound)."""
    role = user_role(user)
    if role is None or role.key not in SENDING_ROLES:
        raise ValidationError({"sending_state": "Only sending officers work for a sending state."})
    profile, _ = Profile.objects.get_or_create(user=user)
    profile.sending_state = state_for_code(sending_state, field="sending_state")
    profile.save(update_fields=["sending_state"])
    return user


@action("user.password_change", withholds=("password",))
def user_password_change(*, actor, user: User, password: str) -> User:
    """A user's new password (the form has checked the old one); the user's other sessions end,
    since Django ties each session to the password it was opened with."""
    _password_checked(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


@action("user.preferences_set")
def user_preferences_set(*, actor, user: User, language: str, time_zone: str) -> User:
    """The language a user reads pages in and the zone they read times in; blank for either
    means the browser's language, or the zone of the user's state."""
    errors = {}
    if language and language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose one of the languages offered.")
    if time_zone and time_zone not in zone_names():
        errors["time_zone"] = _("Choose a time zone by its name, such as Africa/Kigali.")
    if errors:
        raise ValidationError(errors)
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.language, profile.time_zone = language, time_zone
    profile.save(update_fields=["language", "time_zone"])
    return user
