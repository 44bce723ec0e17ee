CREATE TABLE public.shipment (
    id integer PRIMARY KEY,
    carrier text,
    tracking_code text NOT NULL
);
