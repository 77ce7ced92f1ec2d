"""Staff login and logout. django-axes throttles failed logins (settings.AXES_*)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    # Django's LogoutView accepts POST only, so a link or image cannot log staff out.
    http_method_names = ["post", "options"]
