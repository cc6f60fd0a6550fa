from django import forms


class InvoiceUploadForm(forms.Form):
    file = forms.FileField(label="Invoice (PDF)")
