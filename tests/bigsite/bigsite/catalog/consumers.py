from channels.generic.websocket import AsyncJsonWebsocketConsumer


class StockConsumer(AsyncJsonWebsocketConsumer):
    """Pushes stock changes of one product to the pages showing it."""

    async def connect(self):
        self.group = f"stock-{self.scope['url_route']['kwargs']['slug']}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def stock_changed(self, event):
        await self.send_json({"stock": event["stock"]})
