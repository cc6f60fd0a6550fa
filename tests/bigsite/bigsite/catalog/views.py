from django.contrib import messages
from django.core.mail import mail_managers
from django.urls import reverse_lazy
from django.views.generic import DetailView, FormView, ListView

from .forms import ProductEnquiryForm
from .models import Product


class ProductListView(ListView):
    queryset = Product.objects.filter(status=Product.Status.PUBLISHED).select_related("category")
    paginate_by = 24


class ProductDetailView(DetailView):
    queryset = Product.objects.filter(status=Product.Status.PUBLISHED)


class EnquiryView(FormView):
    form_class = ProductEnquiryForm
    template_name = "catalog/enquiry.html"
    success_url = reverse_lazy("catalog:product-list")

    def form_valid(self, form):
        mail_managers(f"Enquiry about {form.cleaned_data['product']}",
                      form.cleaned_data["message"])
        messages.success(self.request, "Thank you, we will get back to you.")
        return super().form_valid(form)
