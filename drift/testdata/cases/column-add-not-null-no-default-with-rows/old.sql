CREATE TABLE public.shipment (
    id integer PRIMARY KEY,
    carrier text
);
