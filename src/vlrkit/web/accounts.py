"""Create users and grant roles (used by ``vlr user add``, the demo and the tests)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from vlrkit.web.roles import ADMIN, DATA_PROVIDER, ROLES


class AccountError(ValueError):
    """A user could not be created: bad role, weak password, assignment without data provider."""


def user_exists(username: str) -> bool:
    return get_user_model().objects.filter(username=username).exists()


@transaction.atomic
def add_user(
    username: str,
    password: str | None,
    *,
    roles: Iterable[str],
    entity: str = "",
    edition: str = "",
    goals: Iterable[int] = (),
    indicators: Iterable[str] = (),
    email: str = "",
    check_password: bool = True,
):
    """Create ``username`` (or update an existing one) holding ``roles`` in ``entity``'s
    ``edition`` (no edition: every edition of the entity; neither: every entity).

    An edition is always named with its entity: edition codes are unique per entity only."""
    from vlrkit.web.models import Assignment, Membership

    roles = list(dict.fromkeys(roles))
    bad = [r for r in roles if r not in ROLES]
    if bad or not roles:
        raise AccountError(
            f"unknown role {', '.join(bad) or '(none)'}; choose from {', '.join(ROLES)} / "
            f"未知角色，可选：{', '.join(ROLES)}"
        )
    if edition and not entity:
        raise AccountError("--edition needs --entity: two entities may have editions with the same code / "
                           "指定届次时须同时指定主体（不同主体可能有相同的届次代码）")
    goals, indicators = list(goals), list(indicators)
    if (goals or indicators) and DATA_PROVIDER not in roles:
        raise AccountError("--goal/--indicator assign data to a data_provider only / 只能为数据提供者分配指标或目标")
    if any(not 1 <= g <= 17 for g in goals):
        raise AccountError("goals are 1 to 17 / 目标编号须为 1 至 17")
    model = get_user_model()
    user = model.objects.filter(username=username).first()
    if user is None:
        if not username.strip():
            raise AccountError("empty user name / 用户名为空")
        user = model(username=username, email=email)
        if password is None:
            raise AccountError("a new user needs a password / 新用户需要密码")
    if password is not None:
        if check_password:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise AccountError("; ".join(exc.messages)) from exc
        user.set_password(password)
    if ADMIN in roles and not entity:
        user.is_staff = user.is_superuser = True  # Django's admin site needs these
    user.save()
    for role in roles:
        Membership.objects.get_or_create(user=user, role=role, entity=entity, edition=edition)
    for g in goals:
        Assignment.objects.get_or_create(user=user, entity=entity, edition=edition, goal=g, indicator="")
    for code in indicators:
        Assignment.objects.get_or_create(user=user, entity=entity, edition=edition, goal=None, indicator=code)
    return user


# --- account recovery (used by the web's admin pages and by `vlr user reset-link`/`reset-2fa`) ---


def issue_reset_link(user, issued_by: str = "") -> str:  # noqa: ANN001
    """A one-time password-reset token for ``user``, valid ``VLRKIT_RESET_LINK_S`` seconds.

    Only its SHA-256 is stored; the token (256 random bits) is returned once, to be put in the
    link ``/accounts/reset/<token>/`` and handed to the user.  Older unused links of the user end."""
    import hashlib
    import secrets
    from datetime import timedelta

    from django.utils import timezone

    from vlrkit.web.security import setting
    from vlrkit.web.security.models import ResetLink

    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        ResetLink.objects.filter(user=user, used_at__isnull=True).update(expires=now)
        ResetLink.objects.create(user=user, digest=hashlib.sha256(token.encode()).hexdigest(), created=now,
                                 expires=now + timedelta(seconds=setting("VLRKIT_RESET_LINK_S")),
                                 issued_by=issued_by[:150])
    return token


def reset_link_for(token: str):  # noqa: ANN201 - a ResetLink or None
    """The unused, unexpired reset link of ``token``, else ``None``."""
    import hashlib

    from django.utils import timezone

    from vlrkit.web.security.models import ResetLink

    digest = hashlib.sha256(token.encode("utf-8", "ignore")).hexdigest()
    return (ResetLink.objects.select_related("user")
            .filter(digest=digest, used_at__isnull=True, expires__gt=timezone.now(), user__is_active=True).first())


def reset_second_factor(user) -> int:  # noqa: ANN001
    """Remove ``user``'s authenticator and backup codes and end their sessions (an administrator's
    reset after the user lost their phone: the user enrols again at the next log-in)."""
    from vlrkit.web.security import sessions, twofactor

    with transaction.atomic():
        removed = twofactor.remove_all(user)
    sessions.end_all(user)
    return removed
