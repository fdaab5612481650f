from django.http import HttpResponse
from django.urls import path


def index(request):
    return HttpResponse("hello from dkenv\n")


urlpatterns = [path("", index)]
