from django.urls import path

from .consumers import StockConsumer

websocket_urlpatterns = [path("ws/stock/<slug:slug>/", StockConsumer.as_asgi())]
