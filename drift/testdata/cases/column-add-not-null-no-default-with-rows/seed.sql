INSERT INTO public.shipment (id, carrier) VALUES (1, 'rail'), (2, 'road');
