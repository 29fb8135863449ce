from django.contrib import admin

from curation.forms import RateLimitedAdminAuthenticationForm

admin.site.login_form = RateLimitedAdminAuthenticationForm
