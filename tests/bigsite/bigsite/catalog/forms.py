from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms

from .models import Product


class ProductEnquiryForm(forms.Form):
    product = forms.ModelChoiceField(queryset=Product.objects.filter(status="published"))
    name = forms.CharField(max_length=100)
    email = forms.EmailField()
    quantity = forms.IntegerField(min_value=1, initial=1)
    message = forms.CharField(widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "product",
            Row(Column("name", css_class="col-md-6"), Column("email", css_class="col-md-6")),
            "quantity",
            "message",
            Submit("submit", "Send enquiry"),
        )
