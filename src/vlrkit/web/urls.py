"""URLs of the web application.  Every name here has a rule in :data:`vlrkit.web.roles.ACCESS`.

An edition's pages live under ``/review/<entity>/<edition>/`` (one ``<edition:edition>``
converter, :class:`vlrkit.web.editions.EditionConverter`); the old ``/e/<edition>/…`` addresses
redirect there when only one entity has that edition code (:func:`vlrkit.web.views.account.legacy`).
"""

from __future__ import annotations

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, register_converter
from django.views.generic import RedirectView
from django.views.i18n import set_language

from vlrkit.web.editions import EditionConverter
from vlrkit.web.views import (
    account,
    actions,
    alignment,
    compare,
    data,
    history,
    indicators,
    jobs,
    method,
    narrative,
    participation,
    publish,
    review,
    security_admin,
    spec,
    twofactor,
)

app_name = "web"
register_converter(EditionConverter, "edition")

E = "review/<edition:edition>/"

# the user's account, the second factor, password reset, and the administrators' security pages
account_patterns = [
    path("accounts/verify/", twofactor.verify, name="otp_verify"),
    path("accounts/two-factor/", twofactor.enrol, name="otp_enrol"),
    path("accounts/two-factor/backup-codes/", twofactor.backup_codes, name="otp_backup"),
    path("accounts/two-factor/remove/", twofactor.remove, name="otp_remove"),
    path("accounts/confirm/", account.reauth_view, name="reauth"),
    path("accounts/security/", account.account, name="account"),
    path("accounts/password/", account.password_change, name="password_change"),
    path("accounts/sessions/end/", account.session_end, name="session_end"),
    path("accounts/reset/<str:token>/", account.reset_link, name="reset_link"),
    path("accounts/password-reset/", account.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password-reset/<uidb64>/<token>/", account.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("security/audit/", security_admin.audit_log, name="audit"),
    path("security/audit/export/", security_admin.audit_export, name="audit_export"),
    path("security/users/", security_admin.users, name="security_users"),
    path("security/sessions/", security_admin.all_sessions, name="security_sessions"),
]

web_patterns = [
    path("", account.home, name="home"),
    path("accounts/login/", account.LoginView.as_view(), name="login"),
    path("accounts/logout/", account.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    *account_patterns,
    path("editions/", account.editions, name="editions"),
    path("favicon.ico", RedirectView.as_view(url=static("web/favicon.svg"), permanent=True), name="favicon"),
    path("e/<str:code>/", account.legacy, name="legacy"),
    path("e/<str:code>/<path:rest>", account.legacy, name="legacy"),
    path(E, review.dashboard, name="dashboard"),
    path(E + "goal/<int:goal>/", review.goal, name="goal"),
    path(E + "indicator/<str:code>/", review.indicator, name="indicator"),
    path(E + "method/", method.method, name="method"),
    path(E + "history/", history.history, name="history"),
    path(E + "changes/", compare.changes, name="changes"),
    path(E + "vertical/", compare.vertical, name="vertical"),
    path(E + "vertical.csv", compare.vertical_csv, name="vertical_csv"),
    path(E + "history/<str:kind>/<int:pk>/", history.history_item, name="history_item"),
    path(E + "data/", data.upload, name="data"),
    path(E + "data/import/<int:pk>/", data.import_report, name="import_report"),
    path(E + "data/template/<str:code>.xlsx", data.template, name="data_template"),
    path(E + "alignment/", alignment.index, name="alignment"),
    path(E + "alignment/goal/<int:goal>/", alignment.cell, name="alignment_cell"),
    path(E + "alignment/decide/", alignment.decide, name="alignment_decide"),
    path(E + "indicators/", indicators.index, name="indicators"),
    path(E + "indicators/new/", indicators.new, name="indicator_new"),
    path(E + "indicators/specifications/", spec.table, name="indicator_spec"),
    path(E + "indicators/<str:code>/edit/", indicators.edit, name="indicator_edit"),
    path(E + "narrative/", narrative.index, name="narrative"),
    path(E + "narrative/<str:section>/<str:lang>/", narrative.edit, name="narrative_edit"),
    path(E + "narrative-preview/", narrative.preview, name="narrative_preview"),
    path(E + "participation/", participation.index, name="participation"),
    path(E + "contribute/", participation.contribute, name="contribute"),
    path(E + "contributions/mine/", participation.mine, name="my_contributions"),
    path(E + "contributions/<str:code>/moderate/", participation.moderate, name="moderate"),
    path(E + "actions/", actions.index, name="actions"),
    path(E + "publish/", publish.workflow, name="publish"),
    path(E + "public/", publish.public, name="public"),
    path(E + "public/<path:name>", publish.public_file, name="public_file"),
    path(E + "jobs/<int:pk>/", jobs.job, name="job"),
    path(E + "jobs/<int:pk>/status/", jobs.job_status, name="job_status"),
]

urlpatterns = [
    path("", include((web_patterns, "web"))),
    path("admin/", admin.site.urls),
]

handler403 = "vlrkit.web.security.middleware.denied"  # records every refusal in the audit log
